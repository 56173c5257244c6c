/** Sweep specs as users write them, their validation, and their expansion into runs. */
package io.churn.spec;
