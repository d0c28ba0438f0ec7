// Runs this example only when the module it shows, lwjgl/, is part of this build.
if (new File(sourceRoot, 'lwjgl/pom.xml').exists()) {
    return true
}
println "[examples] lwjgl example skipped: the module lwjgl/ is not in this build"
return false
