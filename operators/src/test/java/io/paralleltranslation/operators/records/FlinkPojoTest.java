package io.paralleltranslation.operators.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.testing.Chunks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every type flowing between operators (or held in state) is a Flink POJO with no Kryo inside. */
class FlinkPojoTest {

    @ParameterizedTest
    @ValueSource(classes = {ChunkRecord.class, DeadLetter.class, TranslatedChunk.class, TranslatedDocument.class,
            JobStatus.class, ChunkFailure.class})
    void isAPojoWithoutGenericFields(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        assertThat(genericTypesIn(info)).as("fields Flink would serialize with Kryo").isEmpty();
        // Creating the serializer with generic types disabled fails if Kryo were needed anywhere.
        ExecutionConfig config = new ExecutionConfig();
        config.getSerializerConfig().setGenericTypes(false);
        assertThat(info.createSerializer(config.getSerializerConfig())).isNotNull();
    }

    @Test
    void recordsSurviveFlinkSerializationWithAndWithoutOptionalFields() throws Exception {
        ChunkRecord full = Chunks.chunk("job", 1, 2);
        full.glossary = Collections.singletonMap("chunk", "Abschnitt");
        full.model = "gemini-2.5-flash";
        ChunkRecord sparse = Chunks.chunk("job", 0, 2);
        sparse.previousContext = null;
        sparse.sourceLanguage = null;
        assertThat(roundTrip(full, ChunkRecord.class)).isEqualTo(full);
        assertThat(roundTrip(sparse, ChunkRecord.class)).isEqualTo(sparse);

        TranslatedChunk failed = Chunks.failed("job", 1, 2, "refused", 5);
        assertThat(roundTrip(failed, TranslatedChunk.class)).usingRecursiveComparison().isEqualTo(failed);

        JobStatus status = new JobStatus();
        status.jobId = "job";
        status.outcome = JobOutcome.INCOMPLETE;
        status.failedChunks = new ChunkFailure[] {new ChunkFailure(1, "refused")};
        status.missingIndices = new int[] {0, 2};
        assertThat(roundTrip(status, JobStatus.class)).usingRecursiveComparison().isEqualTo(status);
    }

    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        ExecutionConfig config = new ExecutionConfig();
        config.getSerializerConfig().setGenericTypes(false);
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(config.getSerializerConfig());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    }

    private static List<String> genericTypesIn(TypeInformation<?> info) {
        List<String> found = new ArrayList<>();
        collect(info, info.toString(), found);
        return found;
    }

    private static void collect(TypeInformation<?> info, String path, List<String> found) {
        if (info instanceof GenericTypeInfo) {
            found.add(path);
        } else if (info instanceof ObjectArrayTypeInfo) {
            collect(((ObjectArrayTypeInfo<?, ?>) info).getComponentInfo(), path + "[]", found);
        } else if (info instanceof CompositeType) {
            CompositeType<?> composite = (CompositeType<?>) info;
            for (int i = 0; i < composite.getArity(); i++) {
                collect(composite.getTypeAt(i), path + "." + composite.getFieldNames()[i], found);
            }
        } else {
            for (TypeInformation<?> parameter : info.getGenericParameters().values()) {
                collect(parameter, path + "<>", found);
            }
        }
    }
}
