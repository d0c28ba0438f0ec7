/*
 * Allocation-site sampling, below the API layer and beside the object layer: the countdown
 * that decides which allocations are sampled, the record of a sample, and the sampler that
 * keeps the live and peak samples. It knows nothing of the heap; the API layer calls it on
 * allocation (one call) and on free (one cheap check, then a call only when it says so).
 */

/**
 * Sampling of allocation sites: {@link dev.sparseheap.profile.Sampler},
 * {@link dev.sparseheap.profile.SampleCountdown}, {@link dev.sparseheap.profile.Sample}.
 */
package dev.sparseheap.profile;
