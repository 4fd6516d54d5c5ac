package io.paralleltranslation.gemini.emulator;

import java.nio.charset.StandardCharsets;

/** One HTTP answer of the emulator and how long it is held before it is sent. */
final class Answer {
    static final String JSON_TYPE = "application/json; charset=UTF-8";

    final int status;
    final String contentType;
    final byte[] body;
    /** Promise the whole body, send half, close: the client sees the connection end early. */
    final boolean dropMidBody;
    final long delayMillis;

    private Answer(int status, String contentType, byte[] body, boolean dropMidBody, long delayMillis) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.dropMidBody = dropMidBody;
        this.delayMillis = delayMillis;
    }

    static Answer json(int status, byte[] body) {
        return new Answer(status, JSON_TYPE, body, false, 0);
    }

    /** {@code streamGenerateContent}'s answer: the whole response as one server-sent event. */
    static Answer sse(byte[] json) {
        return new Answer(200, "text/event-stream",
                ("data: " + new String(json, StandardCharsets.UTF_8) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8),
                false, 0);
    }

    /** A 200 JSON answer cut off halfway (the connection dropped mid-body). */
    static Answer droppedMidBody(byte[] json) {
        return new Answer(200, JSON_TYPE, json, true, 0);
    }

    Answer after(long delayMillis) {
        return new Answer(status, contentType, body, dropMidBody, delayMillis);
    }
}
