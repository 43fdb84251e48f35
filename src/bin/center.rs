//! Mounts the service center's app.

fn main() {
    bazar::center::mount();
}
