package dev.imageresizer.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the application's log records (category {@code dev.imageresizer}) while open, formatted. */
public final class LogCapture extends Handler implements AutoCloseable {

    private static final Logger APPLICATION = Logger.getLogger("dev.imageresizer");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public LogCapture() {
        APPLICATION.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** The formatted messages at {@code level}. */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(LogCapture::text).toList();
    }

    /** All formatted messages. */
    public List<String> messages() {
        return records.stream().map(LogCapture::text).toList();
    }

    /** Whether any record carries an exception, which the log would print as a stack trace. */
    public boolean anyThrown() {
        return records.stream().anyMatch(r -> r.getThrown() != null);
    }

    private static String text(LogRecord record) {
        return record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : new java.util.logging.SimpleFormatter().formatMessage(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        APPLICATION.removeHandler(this);
    }
}
