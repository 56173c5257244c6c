/** BUTTER's network shapes, and the solver that sizes a shape to a parameter budget. */
package io.churn.network;
