/** The {@code churn} command line: one entry point, a subcommand per job. */
package io.churn.cli;
