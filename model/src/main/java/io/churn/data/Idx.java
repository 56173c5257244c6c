package io.churn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * MNIST-format datasets (MNIST, Fashion-MNIST) from the standard IDX files in a folder:
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each optionally gzipped. Both files' rows form one table (the run's
 * seeded split decides the test rows); pixels are divided by 255 and labels one-hot coded.
 */
final class Idx {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    static final int CLASSES = 10;

    private Idx() {
    }

    static PreparedDataset read(String name, String folder, DataSource source) throws IOException {
        String dir = folder.endsWith("/") ? folder : folder + "/";
        float[][] trainX = images(dir + "train-images-idx3-ubyte", source);
        int[] trainY = labels(dir + "train-labels-idx1-ubyte", source);
        float[][] testX = images(dir + "t10k-images-idx3-ubyte", source);
        int[] testY = labels(dir + "t10k-labels-idx1-ubyte", source);
        if (trainX.length != trainY.length || testX.length != testY.length) {
            throw new IOException(name + ": image and label counts differ in " + folder);
        }
        int rows = trainX.length + testX.length;
        int nIn = trainX[0].length;
        float[] x = new float[rows * nIn];
        float[] y = new float[rows * CLASSES];
        for (int r = 0; r < rows; r++) {
            float[] image = r < trainX.length ? trainX[r] : testX[r - trainX.length];
            int label = r < trainY.length ? trainY[r] : testY[r - trainY.length];
            System.arraycopy(image, 0, x, r * nIn, nIn);
            y[r * CLASSES + label] = 1f;
        }
        return new PreparedDataset(name, Task.MULTICLASS, rows, nIn, CLASSES, x, y, null);
    }

    private static DataInputStream open(String file, DataSource source) throws IOException {
        InputStream in;
        try {
            in = source.open(file + ".gz");
            return new DataInputStream(new BufferedInputStream(new GZIPInputStream(in)));
        } catch (IOException gzipMissing) {
            in = source.open(file);
            return new DataInputStream(new BufferedInputStream(in));
        }
    }

    private static float[][] images(String file, DataSource source) throws IOException {
        try (DataInputStream in = open(file, source)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(file + ": not an IDX image file (magic " + Integer.toHexString(magic) + ")");
            }
            int count = in.readInt();
            int pixels = in.readInt() * in.readInt();
            byte[] buffer = new byte[pixels];
            float[][] images = new float[count][pixels];
            for (int i = 0; i < count; i++) {
                in.readFully(buffer);
                for (int p = 0; p < pixels; p++) {
                    images[i][p] = (buffer[p] & 0xff) / 255f;
                }
            }
            return images;
        }
    }

    private static int[] labels(String file, DataSource source) throws IOException {
        try (DataInputStream in = open(file, source)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(file + ": not an IDX label file (magic " + Integer.toHexString(magic) + ")");
            }
            int[] labels = new int[in.readInt()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = in.readUnsignedByte();
                if (labels[i] >= CLASSES) {
                    throw new IOException(file + ": label " + labels[i] + " is not a digit class 0-9");
                }
            }
            return labels;
        }
    }
}
