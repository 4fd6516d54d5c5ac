package io.paralleltranslation.operators.translate;

import io.paralleltranslation.operators.gemini.TranslationClient;
import java.io.Serializable;

/**
 * Builds the (non-serializable) translation client inside the task, in {@code open()}. The factory
 * itself travels with the job graph, so it must hold only serializable configuration.
 */
@FunctionalInterface
public interface TranslationClientFactory extends Serializable {
    TranslationClient create();
}
