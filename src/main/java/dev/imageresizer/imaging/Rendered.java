package dev.imageresizer.imaging;

/** An encoded rendition. */
public record Rendered(Target target, byte[] bytes) {

    public int width() {
        return target.frame().width();
    }

    public int height() {
        return target.frame().height();
    }

    public String contentType() {
        return target.format().contentType;
    }
}
