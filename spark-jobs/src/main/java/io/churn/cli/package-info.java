/**
 * The {@code churn} command line: one entry point, a subcommand per job; options several commands
 * share as mixins (the database, the results folder, a sweep job's options and flow), and the one
 * way commands start Spark ({@link io.churn.cli.Sparks}).
 */
package io.churn.cli;
