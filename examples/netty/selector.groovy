// Runs this example only when the module it shows, netty/, is part of this build.
if (new File(sourceRoot, 'netty/pom.xml').exists()) {
    return true
}
println "[examples] netty example skipped: the module netty/ is not in this build"
return false
