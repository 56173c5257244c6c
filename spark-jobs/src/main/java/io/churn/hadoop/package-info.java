/**
 * Hadoop file system access: dataset files, runs' checkpoints, and PBT members' saved state (the
 * weight store, in the checkpoint format).
 */
package io.churn.hadoop;
