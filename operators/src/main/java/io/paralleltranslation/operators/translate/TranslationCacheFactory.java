package io.paralleltranslation.operators.translate;

import io.paralleltranslation.cache.TranslationCache;
import java.io.Serializable;

/**
 * Builds the translation cache inside the task, in {@code open()}. The factory travels with the
 * job graph, so it must hold only serializable configuration. Closing the cache releases what it
 * holds (e.g. its DynamoDB client).
 */
@FunctionalInterface
public interface TranslationCacheFactory extends Serializable {
    TranslationCache create() throws Exception;
}
