//! Photos families take of what they sell: only real images (decoded to
//! check), size- and pixel-limited before decoding (no decompression bombs),
//! re-encoded as JPEG no wider than a phone needs, so nothing of the original
//! file survives (EXIF, GPS position, thumbnails); the server names the file.

use std::io::Cursor;
use std::path::Path;

use image::{ImageReader, Limits};

/// The largest upload accepted: a phone camera's JPEG is 2-6 MB.
pub const MAX_BYTES: usize = 12 * 1024 * 1024;
/// The most pixels a photo may declare (a 48-megapixel camera is 8000x6000).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The longest side of the stored photo.
pub const MAX_SIDE: u32 = 1280;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    #[error("the photo is larger than 12 MB")]
    TooLarge,
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image has too many pixels")]
    TooManyPixels,
}

/// Checks, decodes and re-encodes `bytes`; answers the JPEG to store.
/// CPU-heavy: call it on a blocking thread.
pub fn reencode(bytes: &[u8]) -> Result<Vec<u8>, PhotoError> {
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let reader = || {
        ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|_| PhotoError::NotAnImage)
    };
    let probe = reader()?;
    if !matches!(
        probe.format(),
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP)
    ) {
        return Err(PhotoError::NotAnImage);
    }
    // The header's size, read before a single pixel is decoded.
    let (w, h) = probe.into_dimensions().map_err(|_| PhotoError::NotAnImage)?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels);
    }
    let mut decoder = reader()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    decoder.limits(limits);
    let image = decoder.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        _ => PhotoError::NotAnImage,
    })?;
    let image = if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    let rgb = image.to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::NotAnImage)?;
    Ok(out)
}

/// Writes `jpeg` into `dir` under a new random name and answers the name.
pub async fn store(dir: &Path, jpeg: Vec<u8>) -> std::io::Result<String> {
    tokio::fs::create_dir_all(dir).await?;
    let name = format!("{}.jpg", crate::store::random_token());
    let partial = dir.join(format!("{name}.part"));
    tokio::fs::write(&partial, &jpeg).await?;
    tokio::fs::rename(&partial, dir.join(&name)).await?;
    Ok(name)
}

/// Whether `name` is one the server gave: 32 hex digits and `.jpg`.
pub fn is_photo_name(name: &str) -> bool {
    name.is_ascii()
        && name.len() == 36
        && name.ends_with(".jpg")
        && name[..32]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 120, 40]));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn big_photos_are_shrunk_to_a_phone_size_jpeg() {
        let jpeg = reencode(&png(2000, 1000)).unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        let back = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (1280, 640));
    }

    #[test]
    fn what_is_not_an_image_is_refused() {
        assert_eq!(
            reencode(b"<script>alert(1)</script>"),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(
            reencode(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(reencode(&vec![0u8; MAX_BYTES + 1]), Err(PhotoError::TooLarge));
    }

    #[test]
    fn names() {
        assert!(is_photo_name("0123456789abcdef0123456789abcdef.jpg"));
        assert!(!is_photo_name("../../../etc/passwd"));
        assert!(!is_photo_name("0123456789ABCDEF0123456789abcdef.jpg"));
        assert!(!is_photo_name("0123456789abcdef0123456789abcdeé.jpg"));
        assert!(!is_photo_name("0123456789abcdef0123456789abcd²².jpg"));
    }
}
