#pragma once
// Facts about how this build was compiled that code and tests must agree on.

namespace vae {

// ASan and TSan reserve terabytes of address space for shadow memory, so an address-space limit
// (the checkpoint probe's) means nothing there, and everything runs several times slower.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizerBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif
#else
constexpr bool kSanitizerBuild = false;
#endif

// GCC 12's ThreadSanitizer runtime does not hold its allocator's locks across fork(), so a child
// forked while another thread allocates can block for ever on the first allocation it makes.
#if defined(__SANITIZE_THREAD__)
constexpr bool kThreadSanitizerBuild = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kThreadSanitizerBuild = true;
#else
constexpr bool kThreadSanitizerBuild = false;
#endif
#else
constexpr bool kThreadSanitizerBuild = false;
#endif

}  // namespace vae
