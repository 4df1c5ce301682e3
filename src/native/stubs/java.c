#include <jni.h>
#include <stdlib.h>
#include <string.h>
JNIEXPORT jint JNICALL JNI_OnLoad_java(JavaVM *vm, void *r) { return JNI_VERSION_1_8; }
JNIEXPORT jint JNICALL JNI_OnLoad_nio(JavaVM *vm, void *r) { return JNI_VERSION_1_8; }
JNIEXPORT jint JNICALL JNI_OnLoad_net(JavaVM *vm, void *r) { return JNI_VERSION_1_8; }
JNIEXPORT jint JNICALL JNI_OnLoad_zip(JavaVM *vm, void *r) { return JNI_VERSION_1_8; }
char *findJavaTZ_md(const char *java_home_dir) { const char *tz = getenv("TZ"); return strdup(tz && *tz ? tz : "UTC"); }
/*
 * Shutdown.halt0 is the one libjava.so function Substrate VM calls that goes on into the VM (JVM_Halt): in the
 * stand-in link that is HotSpot's libjvm.so, loaded but never started, and the process crashed on every exit. Defined
 * here, the executable's own definition wins over libjava.so's; it does what Substrate VM's JVM_Halt does.
 */
JNIEXPORT void JNICALL Java_java_lang_Shutdown_halt0(JNIEnv *env, jclass ignored, jint code) { exit(code); }
