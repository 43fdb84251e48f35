//! Mounts the Bazar app into the page's static shell.

fn main() {
    bazar::mount();
}
