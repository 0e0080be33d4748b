/**
 * Helpers shared by the readers and writers of this bundle: JSON, atomic file replacement and
 * one-line error messages. Private to the bundle.
 */
package transfuse.io.internal;
