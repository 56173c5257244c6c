package io.churn.train;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A matrix that both the JVM loops and the native BLAS work on. On the Java side it is one array
 * per row, each indexed from zero: C2 vectorizes loops over such arrays, not loops at an offset
 * into a shared array, nor loops over native memory. On the native side it is one contiguous
 * row-major block of the rows' first {@code columns} values, made when a matrix product needs it;
 * each side is copied to the other only after the other changed it. A matrix whose native side is
 * never asked for allocates no native memory.
 */
final class SharedFloats implements AutoCloseable {

    private final float[][] heap;
    private FloatPointer mirror;
    private FloatBuffer mirrorView;
    private boolean heapCurrent = true;
    private boolean mirrorCurrent;
    private boolean pullPending;        // an open pass has rows to pull from the native block
    private int columns;
    private int rows;                   // the Java rows in use: all but in a sample-major matrix

    /** {@code rows} rows of up to {@code capacity} values. */
    SharedFloats(int rows, int capacity) {
        this.heap = new float[rows][capacity];
        this.columns = capacity;
        this.rows = rows;
    }

    /** A matrix held as a single row of {@code length} values (a layer's weights). */
    static SharedFloats single(int length) {
        return new SharedFloats(1, length);
    }

    int capacity() {
        return heap[0].length;
    }

    /**
     * The matrix is its first {@code rows} Java rows from now on: a sample-major matrix holds one
     * row per example, and minibatches (and prediction chunks) differ in size.
     */
    void useRows(int rows) {
        this.rows = rows;
    }

    /** The Java rows, current, for reading. */
    float[][] read() {
        if (!heapCurrent) {
            for (int j = 0; j < rows; j++) mirrorView.get(j * columns, heap[j], 0, columns);
            heapCurrent = true;
        }
        return heap;
    }

    /** The Java rows, current, for changing the first {@code columns} values of each in place. */
    float[][] update(int columns) {
        read();
        return write(columns);
    }

    /** The Java rows, for overwriting the first {@code columns} values of each. */
    float[][] write(int columns) {
        heapCurrent = true;
        mirrorCurrent = false;
        this.columns = columns;
        return heap;
    }

    /**
     * The Java rows, for changing row by row in place, each row synchronised while it is in cache:
     * {@link #pullRow} brings a row current before it is read, {@link #pushRow} copies it to the
     * native block, where there is one, after it changed; {@link #closeRows} ends the pass.
     */
    float[][] openRows(int columns) {
        pullPending = !heapCurrent;
        this.columns = columns;
        return heap;
    }

    /** The Java rows, for overwriting row by row, each {@link #pushRow pushed} once written. */
    float[][] openRowsToWrite(int columns) {
        pullPending = false;
        this.columns = columns;
        return heap;
    }

    /** Row {@code j} of an {@link #openRows open} matrix, current. */
    float[] pullRow(int j) {
        if (pullPending) mirrorView.get(j * columns, heap[j], 0, columns);
        return heap[j];
    }

    /** Values {@code from .. to} of a single-row {@link #openRows open} matrix, made current. */
    void pullRange(int from, int to) {
        if (pullPending) mirrorView.get(from, heap[0], from, to - from);
    }

    /** Copies changed row {@code j} to the native block, where there is one. */
    void pushRow(int j) {
        if (mirror != null) mirrorView.put(j * columns, heap[j], 0, columns);
    }

    /** Copies changed values {@code from .. to} of a single-row matrix to the native block, where there is one. */
    void pushRange(int from, int to) {
        if (mirror != null) mirrorView.put(from, heap[0], from, to - from);
    }

    /** Ends a row-by-row pass: the Java rows are current, the native block too where every changed row was pushed. */
    void closeRows(boolean pushed) {
        pullPending = false;
        heapCurrent = true;
        mirrorCurrent = pushed && mirror != null;
    }

    /** The native block, current, for a product to read. */
    FloatPointer nativeRead() {
        FloatPointer p = mirror();
        if (!mirrorCurrent) {
            for (int j = 0; j < rows; j++) mirrorView.put(j * columns, heap[j], 0, columns);
            mirrorCurrent = true;
        }
        return p;
    }

    /** The native block, for a product to overwrite with rows of {@code columns} values. */
    FloatPointer nativeWrite(int columns) {
        FloatPointer p = mirror();
        mirrorCurrent = true;
        heapCurrent = false;
        this.columns = columns;
        return p;
    }

    private FloatPointer mirror() {
        if (mirror == null) {
            mirror = new FloatPointer((long) heap.length * heap[0].length);
            mirrorView = mirror.asBuffer();
        }
        return mirror;
    }

    /** Frees the native block now, not whenever the garbage collector finds it. */
    @Override
    public void close() {
        if (mirror != null) {
            mirror.close();
            mirror = null;
            mirrorView = null;
        }
    }
}
