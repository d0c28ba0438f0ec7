// Runs this example only when the module it shows, arrow/, is part of this build.
if (new File(sourceRoot, 'arrow/pom.xml').exists()) {
    return true
}
println "[examples] arrow example skipped: the module arrow/ is not in this build"
return false
