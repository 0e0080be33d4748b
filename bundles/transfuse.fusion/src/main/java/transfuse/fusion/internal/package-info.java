/** The engine's working parts: dense maps, axis transport, evidence, the per-model planner. Not exported. */
package transfuse.fusion.internal;
