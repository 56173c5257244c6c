package io.churn.train;

import org.bytedeco.javacpp.FloatPointer;

/**
 * A float array that both the JVM loops and the native BLAS work on: the Java array is where the
 * element-wise work runs (C2 vectorizes loops over arrays, not over native memory), a native copy
 * is made when a matrix product needs one, and each side is copied to the other only when the other
 * changed it. A network that never calls the native side allocates no native memory.
 */
final class SharedFloats implements AutoCloseable {

    private final float[] heap;
    private FloatPointer mirror;
    private boolean heapCurrent = true;
    private boolean mirrorCurrent;
    private int used;

    SharedFloats(int length) {
        this.heap = new float[length];
        this.used = length;
    }

    int length() {
        return heap.length;
    }

    /** The Java array, current, for reading. */
    float[] read() {
        if (!heapCurrent) {
            mirror.get(heap, 0, used);
            heapCurrent = true;
        }
        return heap;
    }

    /** The Java array, current, for changing its first {@code n} values in place. */
    float[] update(int n) {
        read();
        return write(n);
    }

    /** The Java array for overwriting its first {@code n} values. */
    float[] write(int n) {
        heapCurrent = true;
        mirrorCurrent = false;
        used = n;
        return heap;
    }

    /** The native copy, current, for a product to read. */
    FloatPointer nativeRead() {
        FloatPointer p = mirror();
        if (!mirrorCurrent) {
            p.put(heap, 0, used);
            mirrorCurrent = true;
        }
        return p;
    }

    /** The native copy for a product to overwrite its first {@code n} values. */
    FloatPointer nativeWrite(int n) {
        FloatPointer p = mirror();
        mirrorCurrent = true;
        heapCurrent = false;
        used = n;
        return p;
    }

    private FloatPointer mirror() {
        if (mirror == null) {
            mirror = new FloatPointer(heap.length);
        }
        return mirror;
    }

    /** Frees the native copy now, not when the garbage collector finds it. */
    @Override
    public void close() {
        if (mirror != null) {
            mirror.close();
            mirror = null;
        }
    }
}
