//! Photos families take of what they sell: only real images (decoded to
//! check), size- and memory-limited before decoding (no decompression
//! bombs), re-encoded as JPEG no wider than a phone needs, so nothing of the
//! original file survives (EXIF, GPS position, thumbnails); the server names
//! the file.

use std::io::Cursor;
use std::path::Path;

use image::{ImageReader, Limits};

/// The largest upload accepted: a phone camera's JPEG is 2-6 MB.
pub const MAX_BYTES: usize = 12 * 1024 * 1024;
/// The most memory a photo may take once decoded: a 16-megapixel camera's
/// photo (4624x3472, 8-bit RGB) is 46 MiB. What declares more (a PNG of
/// 7071x7071 at 16 bits would be 381 MiB) is refused before a pixel is read.
pub const MAX_DECODED_BYTES: u64 = 48 * 1024 * 1024;
/// The longest side of the stored photo.
pub const MAX_SIDE: u32 = 1280;
/// Photos one family may send in an hour: a listing takes one, a retake two.
pub const PER_HOUR: u32 = 20;
/// What one family may store in 30 days: photos, and their bytes once
/// re-encoded (about 150 KB each).
pub const QUOTA_PHOTOS: u32 = 300;
pub const QUOTA_BYTES: u64 = 64 * 1024 * 1024;
/// Uploads read at once, in all (each up to [`MAX_BYTES`] in memory).
pub const READING_AT_ONCE: usize = 8;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    #[error("the photo is larger than 12 MB")]
    TooLarge,
    #[error("the file is not a photo (JPEG, PNG or WebP)")]
    NotAnImage,
    #[error("the photo has too many pixels; take it at the camera's normal size")]
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
    if u64::from(w) * u64::from(h) * 3 > MAX_DECODED_BYTES {
        return Err(PhotoError::TooManyPixels);
    }
    let mut decoder = reader()?;
    // The decoder checks its own allocations too: a 16-bit or alpha image
    // takes more than three bytes a pixel.
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    decoder.limits(limits);
    let image = decoder.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        _ => PhotoError::NotAnImage,
    })?;
    // `thumbnail` averages whole areas in integers: no float copy of the
    // full-size image, as `resize` would make.
    let image = if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.thumbnail(MAX_SIDE, MAX_SIDE)
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

    /// A PNG that declares `width` x `height`, RGBA at 16 bits or RGB at
    /// 8, but holds one row of pixels: what a decoder reads before deciding
    /// to allocate, without the test making the bomb itself.
    fn declared_png(width: u32, height: u32, sixteen_bits: bool) -> Vec<u8> {
        use std::io::Write;
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
            let mut crc = crc32fast::Hasher::new();
            crc.update(kind);
            crc.update(data);
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            out.extend_from_slice(&crc.finalize().to_be_bytes());
        }
        let (depth, color, per_pixel) = if sixteen_bits { (16, 6, 8) } else { (8, 2, 3) };
        let mut header = Vec::new();
        header.extend_from_slice(&width.to_be_bytes());
        header.extend_from_slice(&height.to_be_bytes());
        header.extend_from_slice(&[depth, color, 0, 0, 0]);
        let mut row = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        row.write_all(&vec![0u8; 1 + width as usize * per_pixel]).unwrap();
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut out, b"IHDR", &header);
        chunk(&mut out, b"IDAT", &row.finish().unwrap());
        chunk(&mut out, b"IEND", &[]);
        out
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_it_is_decoded() {
        // 7071x7071 at 16 bits RGBA declares 381 MiB (the whole bomb, with
        // its pixels, is sent to the release server by tests/abuse).
        assert_eq!(
            reencode(&declared_png(7071, 7071, true)),
            Err(PhotoError::TooManyPixels)
        );
        // Its 8-bit size within the limit, the 16-bit one over it: the
        // decoder's own allocation limit refuses it.
        assert_eq!(
            reencode(&declared_png(3000, 3000, true)),
            Err(PhotoError::TooManyPixels)
        );
        // At the edge: exactly the limit passes the size check (the pixels
        // are missing, so it fails to decode), one row more does not.
        assert_eq!(
            reencode(&declared_png(4096, 4096, false)),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(
            reencode(&declared_png(4096, 4097, false)),
            Err(PhotoError::TooManyPixels)
        );
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
