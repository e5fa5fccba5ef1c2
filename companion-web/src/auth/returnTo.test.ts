import { safeReturnTo } from './returnTo';

describe('safeReturnTo', () => {
  it('keeps paths inside the app', () => {
    expect(safeReturnTo('/connections/abc?status=paid#x')).toBe('/connections/abc?status=paid#x');
    expect(safeReturnTo('/connect/return?state=s&code=c')).toBe('/connect/return?state=s&code=c');
  });
  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '', null, 42, 'connect'])(
    'refuses %s (no open redirect)', (value) => {
      expect(safeReturnTo(value)).toBe('/');
    });
});
