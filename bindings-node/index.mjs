// ES module entry of @mira/core: the same native classes and functions as `require('@mira/core')`.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const native = require('./index.js')

export const { Catalog, Engine, PriceModel, hashedNgrams } = native
export default native
