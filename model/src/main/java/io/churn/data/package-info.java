/**
 * Datasets: loading PMLB tables and IDX files, BUTTER's preprocessing, seeded splits and label
 * noise; each loaded dataset carries the SHA-256 of the bytes it was read from.
 */
package io.churn.data;
