/**
 * Report notebooks: a notebook definition (Markdown with Spark SQL cells, some drawn as charts) is
 * run over a sweep's or a PBT job's Parquet results and exported as a Jupyter notebook (nbformat 4)
 * with its outputs embedded, and as a self-contained HTML page. Each chart kind is one class behind
 * {@link io.churn.report.ChartKind} ({@code LineChart}, {@code ScatterChart}, {@code HeatmapChart},
 * {@code LineageChart}), named in {@link io.churn.report.ChartSpec.Kind}; {@code Charts} lays out
 * their panels.
 */
package io.churn.report;
