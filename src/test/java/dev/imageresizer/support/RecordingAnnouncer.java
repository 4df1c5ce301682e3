package dev.imageresizer.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.imageresizer.pipeline.Announcer;
import dev.imageresizer.pipeline.Rejection;
import dev.imageresizer.pipeline.StoredRenditions;

/** An announcer that keeps what it is told, in order, for the pipeline's unit tests. */
public final class RecordingAnnouncer implements Announcer {

    private final List<Object> announced = new CopyOnWriteArrayList<>();

    @Override
    public void announce(StoredRenditions renditions) {
        announced.add(renditions);
    }

    @Override
    public void announce(Rejection rejection) {
        announced.add(rejection);
    }

    /** Everything announced, in order: {@link StoredRenditions} and {@link Rejection}s. */
    public List<Object> all() {
        return List.copyOf(announced);
    }

    public List<StoredRenditions> stored() {
        return announced.stream().filter(StoredRenditions.class::isInstance).map(StoredRenditions.class::cast).toList();
    }

    public List<Rejection> rejections() {
        return announced.stream().filter(Rejection.class::isInstance).map(Rejection.class::cast).toList();
    }
}
