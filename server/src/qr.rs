//! QR codes as SVG, for key cards and trace labels.

/// `data` as a QR code SVG document (medium error correction, a quiet zone).
pub fn svg(data: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(160, 160)
            .quiet_zone(true)
            .build(),
        // Only data longer than a QR code holds fails; our links are short.
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn makes_an_svg() {
        let svg = super::svg("http://127.0.0.1:8080/trace/ABCDEFGH");
        assert!(svg.contains("<svg"));
        assert!(svg.contains("<path"));
    }
}
