package io.churn.spec;

import java.io.Serializable;
import java.util.List;

/** One rectangular grid: every combination of these values is a run (times the repetitions). */
public record Grid(
        List<String> dataset,
        List<String> shape,
        List<Integer> depth,
        List<Long> size,
        List<Double> learningRate,
        List<Integer> batchSize,
        List<Double> labelNoise,
        List<KernelRegularizer> kernelRegularizer,
        List<KernelRegularizer> biasRegularizer,
        List<Optimizer> optimizer,
        List<Double> momentum,
        List<ActivationFunction> activation,
        List<Integer> epochs,
        List<Integer> earlyStoppingPatience,
        List<Double> dropout) implements Serializable {

    public Grid {
        dataset = List.copyOf(dataset);
        shape = List.copyOf(shape);
        depth = List.copyOf(depth);
        size = List.copyOf(size);
        learningRate = List.copyOf(learningRate);
        batchSize = List.copyOf(batchSize);
        labelNoise = List.copyOf(labelNoise);
        kernelRegularizer = List.copyOf(kernelRegularizer);
        biasRegularizer = List.copyOf(biasRegularizer);
        optimizer = List.copyOf(optimizer);
        momentum = List.copyOf(momentum);
        activation = List.copyOf(activation);
        epochs = List.copyOf(epochs);
        earlyStoppingPatience = List.copyOf(earlyStoppingPatience);
        dropout = List.copyOf(dropout);
    }

    /** Number of grid points, before repetitions; {@code Long.MAX_VALUE} for more than a long counts. */
    public long points() {
        long points = 1;
        for (List<?> axis : List.of(dataset, shape, depth, size, learningRate, batchSize, labelNoise, kernelRegularizer,
                biasRegularizer, optimizer, momentum, activation, epochs, earlyStoppingPatience, dropout)) {
            try {
                points = Math.multiplyExact(points, axis.size());
            } catch (ArithmeticException tooMany) {
                return Long.MAX_VALUE;
            }
        }
        return points;
    }
}
