/** Datasets: loading PMLB tables, BUTTER's preprocessing, seeded splits and label noise. */
package io.churn.data;
