//! Mounts the sellers' app.

fn main() {
    bazar::seller::mount();
}
