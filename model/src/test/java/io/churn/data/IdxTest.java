package io.churn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    /** Writes IDX files of {@code count} 2x3 images whose pixels encode the image index and label. */
    static void write(Path dir, String prefix, int count, boolean gzip) throws IOException {
        try (DataOutputStream images = out(dir.resolve(prefix + "-images-idx3-ubyte"), gzip);
             DataOutputStream labels = out(dir.resolve(prefix + "-labels-idx1-ubyte"), gzip)) {
            images.writeInt(Idx.IMAGES_MAGIC);
            images.writeInt(count);
            images.writeInt(2);
            images.writeInt(3);
            labels.writeInt(Idx.LABELS_MAGIC);
            labels.writeInt(count);
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < 6; p++) {
                    images.writeByte(p == 0 ? 255 : p == 1 ? i % 10 : 0);
                }
                labels.writeByte(i % 10);
            }
        }
    }

    static DataOutputStream out(Path file, boolean gzip) throws IOException {
        OutputStream o = Files.newOutputStream(gzip ? Path.of(file + ".gz") : file);
        return new DataOutputStream(gzip ? new GZIPOutputStream(o) : o);
    }

    @Test
    void train_and_test_files_become_one_scaled_one_hot_table(@TempDir Path dir) throws Exception {
        write(dir, "train", 30, true);
        write(dir, "t10k", 12, false);
        PreparedDataset d = Datasets.load("mnist:" + dir);
        assertEquals(Task.MULTICLASS, d.task());
        assertEquals(42, d.rows());
        assertEquals(6, d.nIn());
        assertEquals(10, d.nOut());
        for (int r = 0; r < d.rows(); r++) {
            int label = (r < 30 ? r : r - 30) % 10;
            assertEquals(1f, d.x()[r * 6]);
            assertEquals(label / 255f, d.x()[r * 6 + 1], 1e-7);
            assertEquals(1f, d.y()[r * 10 + label]);
            float sum = 0;
            for (int k = 0; k < 10; k++) sum += d.y()[r * 10 + k];
            assertEquals(1f, sum);
        }
        // the digest covers the four files' bytes as stored, in the order they are read
        java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
        for (String f : java.util.List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            read.writeBytes(Files.readAllBytes(dir.resolve(f)));
        }
        assertEquals(DatasetsTest.sha256(read.toByteArray()), d.sha256());
    }

    @Test
    void a_file_that_is_not_idx_is_refused(@TempDir Path dir) throws Exception {
        write(dir, "train", 3, false);
        write(dir, "t10k", 3, false);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Datasets.load("fashion_mnist:" + dir));
        assertTrue(e.getMessage().contains("not an IDX label file"), e.getMessage());
    }
}
