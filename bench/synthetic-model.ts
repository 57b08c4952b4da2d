/**
 * The synthetic counter model as a model module (RANGES = "24,24,24,20,20"), so that the worker
 * threads of a parallel bench case can load it from its file.
 */
import { counterModel } from './synthetic.js'

export default (constants: { RANGES?: string } = {}) => counterModel(String(constants.RANGES ?? '16,16,16,16').split(',').map(Number))
