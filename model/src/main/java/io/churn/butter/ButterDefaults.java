package io.churn.butter;

import java.util.List;

/** BUTTER's {@code default_config}: the values a config's left-out keys take. */
final class ButterDefaults {

    static final List<String> DATASETS = List.of("adult");
    static final List<String> TOPOLOGIES = List.of("wide_first_2x");
    static final List<Long> BUDGETS = List.of(32L, 64L, 128L, 256L, 512L, 1024L, 2048L, 4096L, 8192L, 16384L,
            32768L, 65536L, 131072L, 262144L, 524288L, 1048576L, 2097152L, 4194304L, 8388608L, 16777216L, 33554432L);
    static final List<Integer> DEPTHS = List.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20);
    static final int REPS = 10;
    static final int EPOCHS = 3000;
    static final int BATCH_SIZE = 256;
    static final double TEST_SPLIT = 0.2;
    static final double LEARNING_RATE = 0.001;

    private ButterDefaults() {
    }
}
