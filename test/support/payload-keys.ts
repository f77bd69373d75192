// The tests' payload key, fixed so that a history one test records decodes in another.
export const TEST_PAYLOAD_KEYS = 'test-1:dGVzdC1wYXlsb2FkLWtleS0zMi1ieXRlcy1sb25nISE=';
