package io.churn.train;

import io.churn.spec.RunSpec;
import java.util.Arrays;

/**
 * The fused engine's optimizers, one class each, as DL4J defines them with its defaults (Adam,
 * SGD, SGD with Nesterov momentum, RMSprop). Each updates a parameter array from its gradient and
 * up to two state arrays of the same length, in one loop the JIT vectorizes.
 */
abstract class FusedOptimizer {

    /** The optimizer a run trains with; a new optimizer does not compile until it has one here. */
    static FusedOptimizer of(RunSpec run) {
        float lr = (float) run.learningRate();
        return switch (run.optimizer()) {
            case ADAM -> new Adam(run.learningRate());
            case SGD -> run.momentum() > 0 ? new Nesterov(lr, (float) run.momentum()) : new Sgd(lr);
            case RMSPROP -> new RmsProp(lr);
        };
    }

    /** Sets a state array to its value before the first step. */
    void initialize(float[] state) {
        Arrays.fill(state, 0f);
    }

    /** Called once per step, before {@link #update}, with the number of steps taken before it. */
    void beginStep(int iteration) {
    }

    /**
     * One step on values {@code from .. to} of {@code param} from {@code grad}, with its state arrays
     * {@code s1} and {@code s2}.
     */
    abstract void update(float[] param, float[] grad, float[] s1, float[] s2, int from, int to);

    /** Adam (Kingma and Ba, 2015), with the bias corrections folded into the step size as DL4J does. */
    static final class Adam extends FusedOptimizer {
        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;
        private static final float EPSILON = 1e-8f;
        private final double learningRate;
        private float stepSize;

        Adam(double learningRate) {
            this.learningRate = learningRate;
        }

        @Override
        void beginStep(int iteration) {
            double beta1t = Math.pow(BETA1, iteration + 1);
            double beta2t = Math.pow(BETA2, iteration + 1);
            stepSize = (float) (learningRate * Math.sqrt(1 - beta2t) / (1 - beta1t));
        }

        @Override
        void update(float[] param, float[] grad, float[] s1, float[] s2, int from, int to) {
            float b1 = (float) BETA1;
            float b2 = (float) BETA2;
            float at = stepSize;
            for (int k = from; k < to; k++) {
                float g = grad[k];
                s1[k] = b1 * s1[k] + (1f - b1) * g;
                s2[k] = b2 * s2[k] + (1f - b2) * g * g;
                param[k] -= at * s1[k] / ((float) Math.sqrt(s2[k]) + EPSILON);
            }
        }
    }

    /** RMSprop (Tieleman and Hinton, 2012), DL4J's decay 0.95; its mean square starts at epsilon, not zero. */
    static final class RmsProp extends FusedOptimizer {
        private static final float DECAY = 0.95f;
        private static final float EPSILON = 1e-8f;
        private final float learningRate;

        RmsProp(float learningRate) {
            this.learningRate = learningRate;
        }

        @Override
        void initialize(float[] state) {
            Arrays.fill(state, EPSILON);
        }

        @Override
        void update(float[] param, float[] grad, float[] s1, float[] s2, int from, int to) {
            for (int k = from; k < to; k++) {
                float g = grad[k];
                s1[k] = DECAY * s1[k] + (1f - DECAY) * g * g;
                param[k] -= learningRate * g / ((float) Math.sqrt(s1[k]) + EPSILON);
            }
        }
    }

    /** Plain stochastic gradient descent. */
    static final class Sgd extends FusedOptimizer {
        private final float learningRate;

        Sgd(float learningRate) {
            this.learningRate = learningRate;
        }

        @Override
        void update(float[] param, float[] grad, float[] s1, float[] s2, int from, int to) {
            for (int k = from; k < to; k++) {
                param[k] -= learningRate * grad[k];
            }
        }
    }

    /** SGD with Nesterov momentum, DL4J's form: {@code v' = mu v - lr g; step = mu v - (1 + mu) v'}. */
    static final class Nesterov extends FusedOptimizer {
        private final float learningRate;
        private final float momentum;

        Nesterov(float learningRate, float momentum) {
            this.learningRate = learningRate;
            this.momentum = momentum;
        }

        @Override
        void update(float[] param, float[] grad, float[] s1, float[] s2, int from, int to) {
            for (int k = from; k < to; k++) {
                float previous = s1[k];
                s1[k] = momentum * previous - learningRate * grad[k];
                param[k] -= momentum * previous - (1f + momentum) * s1[k];
            }
        }
    }
}
