package io.churn.spec;

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
        long seed) implements Serializable {

    public RunSpec {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(kernelRegularizer, "kernel_regularizer");
        Objects.requireNonNull(biasRegularizer, "bias_regularizer");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(activation, "activation");
    }

    /** The same experiment at another repetition, with that repetition's seed. */
    public RunSpec withRepetition(int repetition, long seed) {
        return new RunSpec(dataset, shape, depth, size, learningRate, batchSize, labelNoise, kernelRegularizer,
                biasRegularizer, optimizer, momentum, activation, epochs, earlyStoppingPatience, testSplit, repetition,
                seed);
    }

    /**
     * The run's parameters under their spec names, in a fixed order. Keys added after the first
     * release appear only when they differ from their default, so existing run ids never change.
     */
    public Map<String, Object> canonical() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
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
