/** @type {import('next').NextConfig} */
const nextConfig = {
  // @mira/core is a native addon: load it with Node's require at run time,
  // never bundle it (docs/TOOLCHAIN.md pitfall 6).
  serverExternalPackages: ['@mira/core'],
  reactStrictMode: true,
  poweredByHeader: false,
}

export default nextConfig
