/** The built-in job kinds, one service each; private to this bundle (found through the Job service). */
package transfuse.jobs.kinds;
