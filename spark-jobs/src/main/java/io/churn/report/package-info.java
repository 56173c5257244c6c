/**
 * Report notebooks: a notebook definition (Markdown with Spark SQL cells, some drawn as charts) is
 * run over a sweep's or a PBT job's Parquet results and exported as a Jupyter notebook (nbformat 4)
 * with its outputs embedded, and as a self-contained HTML page.
 */
package io.churn.report;
