/**
 * The live training view: per-epoch DL4J training-UI stats written by the executors (files or a
 * stream to a UI server) and the UI server that shows them. Nothing here is loaded while the view
 * is off.
 */
package io.churn.live;
