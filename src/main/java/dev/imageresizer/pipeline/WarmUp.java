package dev.imageresizer.pipeline;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.storage.ObjectStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Cold-start help for scale-from-zero: right at startup, on a thread of its own (so on the second core while the main
 * thread finishes starting), loads and exercises what the first event needs: ImageIO and its plugins, the decoders,
 * scaler and encoders (a JPEG and a PNG with alpha, made here, through inspect, decode and render), the object store
 * client and its connection (checking the destination bucket, which the first store would do anyway), and the Kafka
 * producer with the announcement topic's metadata. Failures are logged and forgotten: the first event simply pays.
 */
@ApplicationScoped
public class WarmUp {

    /** Set by the first event: the imaging warm-up then stops, so it does not compete with real work for the CPU. */
    private static volatile boolean eventArrived;

    private final ResizerConfig config;
    private final ResizePipeline pipeline;
    private final ObjectStore store;
    private final KafkaClientService kafka;
    private final String announcementTopic;

    WarmUp(ResizerConfig config, ResizePipeline pipeline, ObjectStore store, KafkaClientService kafka,
            @ConfigProperty(name = "mp.messaging.outgoing.image-renditions.topic", defaultValue = "image-renditions") String announcementTopic) {
        this.config = config;
        this.pipeline = pipeline;
        this.store = store;
        this.kafka = kafka;
        this.announcementTopic = announcementTopic;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.warmUp()) {
            Thread thread = new Thread(this::run, "resizer-warm-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

    void run() {
        long started = System.nanoTime();
        // the connections first: quick, and the first event would wait for them
        long objectStore = step("object store", () -> store.ensureBucket(config.destination().bucket()));
        long broker = config.announce().enabled()
                ? step("Kafka", () -> kafka.getProducer("image-renditions").partitionsFor(announcementTopic).await().atMost(Duration.ofSeconds(10)))
                : 0;
        long imaging = step("imaging", this::imaging);
        Log.infof("warm-up done in %d ms (object store %d ms, Kafka %d ms, imaging %d ms)",
                (System.nanoTime() - started) / 1_000_000, objectStore, broker, imaging);
    }

    private void imaging() {
        // a progressive JPEG (as most large photos are) and a PNG with alpha
        for (byte[] image : List.of(picture("jpeg", 320, 240, false), picture("png", 96, 72, true))) {
            if (eventArrived) {
                return;
            }
            pipeline.renderAll(image);
        }
    }

    /** The pipeline's first event has begun. */
    static void eventArrived() {
        eventArrived = true;
    }

    private static byte[] picture(String format, int width, int height, boolean alpha) {
        BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(0x20, 0x60, 0xa0, alpha ? 0x40 : 0xff), width, height, new Color(0xf0, 0xc0, 0x30)));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (param.canWriteProgressive()) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** @return how long the step took, in milliseconds */
    private static long step(String name, Runnable step) {
        long started = System.nanoTime();
        try {
            step.run();
        } catch (RuntimeException e) {
            Log.warnf("warm-up of the %s skipped: %s", name, e.getMessage());
        }
        return (System.nanoTime() - started) / 1_000_000;
    }
}
