package io.churn.spec;

import io.churn.data.DatasetIdentity;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One training run: a point of the grid plus its repetition and seed. Its {@link #runId()} is a
 * hash of its canonical content, so the same run always has the same id, whichever sweep names it.
 * Its dataset is {@code dataset}, the dataset's name, and {@code datasetSha256}, the digest of its
 * content ({@link DatasetIdentity}); {@code datasetSource}, where it is read from, is not part of
 * the id.
 */
public record RunSpec(
        String dataset,
        String shape,
        int depth,
        long size,
        double learningRate,
        int batchSize,
        double labelNoise,
        KernelRegularizer kernelRegularizer,
        KernelRegularizer biasRegularizer,
        Optimizer optimizer,
        double momentum,
        ActivationFunction activation,
        int epochs,
        int earlyStoppingPatience,
        double testSplit,
        int repetition,
        long seed,
        String datasetSource,
        String datasetSha256,
        double dropout) implements Serializable {

    public RunSpec {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(datasetSource, "dataset_source");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(kernelRegularizer, "kernel_regularizer");
        Objects.requireNonNull(biasRegularizer, "bias_regularizer");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(activation, "activation");
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), not " + dropout);
        }
    }

    /** A run without dropout. */
    public RunSpec(String dataset, String shape, int depth, long size, double learningRate, int batchSize,
                   double labelNoise, KernelRegularizer kernelRegularizer, KernelRegularizer biasRegularizer,
                   Optimizer optimizer, double momentum, ActivationFunction activation, int epochs,
                   int earlyStoppingPatience, double testSplit, int repetition, long seed, String datasetSource,
                   String datasetSha256) {
        this(dataset, shape, depth, size, learningRate, batchSize, labelNoise, kernelRegularizer, biasRegularizer,
                optimizer, momentum, activation, epochs, earlyStoppingPatience, testSplit, repetition, seed,
                datasetSource, datasetSha256, 0);
    }

    /** A run of the dataset {@code dataset} names, its content not yet read ({@link DatasetIdentity#named}). */
    public RunSpec(String dataset, String shape, int depth, long size, double learningRate, int batchSize,
                   double labelNoise, KernelRegularizer kernelRegularizer, KernelRegularizer biasRegularizer,
                   Optimizer optimizer, double momentum, ActivationFunction activation, int epochs,
                   int earlyStoppingPatience, double testSplit, int repetition, long seed) {
        this(DatasetIdentity.named(dataset), shape, depth, size, learningRate, batchSize, labelNoise,
                kernelRegularizer, biasRegularizer, optimizer, momentum, activation, epochs, earlyStoppingPatience,
                testSplit, repetition, seed);
    }

    /** A run of the dataset {@code data}. */
    public RunSpec(DatasetIdentity data, String shape, int depth, long size, double learningRate, int batchSize,
                   double labelNoise, KernelRegularizer kernelRegularizer, KernelRegularizer biasRegularizer,
                   Optimizer optimizer, double momentum, ActivationFunction activation, int epochs,
                   int earlyStoppingPatience, double testSplit, int repetition, long seed) {
        this(data.name(), shape, depth, size, learningRate, batchSize, labelNoise, kernelRegularizer,
                biasRegularizer, optimizer, momentum, activation, epochs, earlyStoppingPatience, testSplit, repetition,
                seed, data.source(), data.sha256());
    }

    /** The same experiment at another repetition, with that repetition's seed. */
    public RunSpec withRepetition(int repetition, long seed) {
        return new RunSpec(dataset, shape, depth, size, learningRate, batchSize, labelNoise, kernelRegularizer,
                biasRegularizer, optimizer, momentum, activation, epochs, earlyStoppingPatience, testSplit, repetition,
                seed, datasetSource, datasetSha256, dropout);
    }

    /**
     * The same run with {@code dropout}: the fraction of every hidden layer's outputs dropped in
     * each training step (Keras' {@code Dropout(rate)} after each hidden layer; none at prediction).
     */
    public RunSpec withDropout(double dropout) {
        return new RunSpec(dataset, shape, depth, size, learningRate, batchSize, labelNoise, kernelRegularizer,
                biasRegularizer, optimizer, momentum, activation, epochs, earlyStoppingPatience, testSplit, repetition,
                seed, datasetSource, datasetSha256, dropout);
    }

    /** The run's dataset: its name, where it is read from and its content's digest. */
    public DatasetIdentity datasetIdentity() {
        return new DatasetIdentity(dataset, datasetSource, datasetSha256);
    }

    /**
     * The run's parameters under their spec names, in a fixed order. Keys added after the first
     * release appear only when they differ from their default, so existing run ids never change. A
     * dataset named by file is its name and content digest; a bundled one its name alone.
     */
    public Map<String, Object> canonical() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        if (datasetSha256 != null && !datasetIdentity().bundled()) m.put("dataset_sha256", datasetSha256);
        m.put("shape", shape);
        m.put("depth", depth);
        m.put("size", size);
        m.put("learning_rate", learningRate);
        m.put("batch_size", batchSize);
        m.put("label_noise", labelNoise);
        m.put("kernel_regularizer", kernelRegularizer.toString());
        m.put("optimizer", optimizer.specName());
        m.put("epochs", epochs);
        if (!biasRegularizer.equals(KernelRegularizer.NONE)) m.put("bias_regularizer", biasRegularizer.toString());
        if (momentum != 0) m.put("momentum", momentum);
        if (activation != ActivationFunction.RELU) m.put("activation", activation.specName());
        if (earlyStoppingPatience != 0) m.put("early_stopping_patience", earlyStoppingPatience);
        if (dropout != 0) m.put("dropout", dropout);
        m.put("test_split", testSplit);
        m.put("repetition", repetition);
        m.put("seed", seed);
        return m;
    }

    /** 32 hex digits of SHA-256 over the canonical content. */
    public String runId() {
        StringBuilder text = new StringBuilder();
        canonical().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
