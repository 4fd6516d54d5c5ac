package io.paralleltranslation.job.sink;

import java.util.Locale;

/**
 * Where a translated document goes: {@code <output>/<jobId>/<stem>.<target language><extension>},
 * e.g. the German translation of {@code field-guide.md} is {@code <output>/<jobId>/field-guide.de.md}
 * and of {@code notes} is {@code <output>/<jobId>/notes.de}. The jobId directory keeps two
 * documents of the same name apart; the name keeps what the user called the document.
 */
public final class DocumentNames {
    private static final String FALLBACK_STEM = "document";
    private static final int MAX_NAME_CHARS = 200;

    private DocumentNames() {}

    /**
     * @param source the document's source name as the submit tool recorded it (a file name; any
     *     directory part is dropped); null or blank gives {@code document}
     * @param targetLanguage e.g. {@code de} or {@code pt-BR}
     */
    public static String fileName(String source, String targetLanguage) {
        String name = source == null ? "" : source.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        name = safe(name);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        if (stem.isEmpty() || stem.chars().allMatch(c -> c == '.')) {
            stem = FALLBACK_STEM;
        }
        String language = safe(targetLanguage == null ? "" : targetLanguage).toLowerCase(Locale.ROOT);
        String fileName = language.isEmpty() ? stem + extension : stem + "." + language + extension;
        return fileName.length() > MAX_NAME_CHARS ? fileName.substring(fileName.length() - MAX_NAME_CHARS) : fileName;
    }

    /** The path of a document's file under the output base path (which may end with a slash). */
    public static String outputPath(String basePath, String jobId, String fileName) {
        return (basePath.endsWith("/") ? basePath : basePath + "/") + jobId + "/" + fileName;
    }

    /** Letters, digits and {@code . _ -} kept (any script); anything else, a path separator included, becomes _. */
    private static String safe(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(Character.isLetterOrDigit(c) || c == '.' || c == '_'
                || c == '-' ? c : '_'));
        String s = b.toString();
        // A leading dot would hide the file (and name in-progress files); a name of dots is no name.
        while (s.startsWith(".")) {
            s = s.substring(1);
        }
        return s;
    }
}
