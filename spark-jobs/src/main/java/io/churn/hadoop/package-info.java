/** Hadoop file system access: dataset files and, later, the weight store. */
package io.churn.hadoop;
