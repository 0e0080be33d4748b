/** The initializers and the grow job, registered as services. */
package transfuse.init.sws.internal;
