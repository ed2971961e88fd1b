/**
 * Browser mode's API calls, off the UI thread (reliability P4). Encoding a 10 MB paste as JSON and
 * decoding a 10 MB case take tens of milliseconds each; here they cannot delay a frame. The page
 * only pays for structured cloning the arguments and the result (a copy: ~5 ms for 10 MB).
 */
import { postApi, type WorkerRequest, type WorkerResponse } from './http-post'

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null
  postMessage(message: WorkerResponse): void
}

scope.onmessage = (e) => {
  const { id, method, args, headers } = e.data
  void postApi(method, args, headers).then((envelope) => scope.postMessage({ id, envelope }))
}
