/**
 * sparseheap's tools: the seed scenarios, run on simulated address spaces under both arena
 * layouts, and drawings of a heap's address space as text or SVG. The command line uses them;
 * a program that only allocates memory needs none of it.
 */
module dev.sparseheap.tools {
    requires dev.sparseheap;
    exports dev.sparseheap.tools.map;
    exports dev.sparseheap.tools.scenario;
}
