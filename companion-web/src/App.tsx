import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AuthProvider } from './auth/AuthProvider';
import { RequireAuth } from './auth/RequireAuth';
import { ApiProvider } from './api/ApiProvider';
import { ApiProblem } from './api/problem';
import { Layout } from './ui/Layout';
import { Home } from './pages/Home';
import { Connect } from './pages/Connect';
import { ConnectReturn } from './pages/ConnectReturn';
import { ConnectionPage } from './pages/Connection';
import { ApiKeys } from './pages/ApiKeys';
import { SignUp } from './pages/SignUp';
import { Callback } from './pages/Callback';
import { SignedOut } from './pages/SignedOut';
import { NotFound } from './pages/NotFound';
import { RETURN_PATH } from './connect/finish';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Retry only what may pass on a second try (network, 5xx), never a 4xx; respect Retry-After.
        retry: (count, error) => count < 2 && error instanceof ApiProblem && (error.status === 0 || error.status >= 500),
        retryDelay: (count, error) => error instanceof ApiProblem && error.retryAfterSeconds !== undefined
          ? Math.min(error.retryAfterSeconds, 30) * 1000 : 1000 * 2 ** count,
        refetchOnWindowFocus: true,
        staleTime: 15_000,
      },
      mutations: { retry: false },
    },
  });
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/callback', element: <Callback /> },
      { path: '/signed-out', element: <SignedOut /> },
      { path: '/signup', element: <SignUp /> },
      { path: '/', element: <RequireAuth><Home /></RequireAuth> },
      { path: '/connect', element: <RequireAuth><Connect /></RequireAuth> },
      { path: RETURN_PATH, element: <RequireAuth><ConnectReturn /></RequireAuth> },
      { path: '/connections/:id', element: <RequireAuth><ConnectionPage /></RequireAuth> },
      { path: '/api-keys', element: <RequireAuth><ApiKeys /></RequireAuth> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

const queryClient = createQueryClient();

export function App() {
  return (
    <AuthProvider>
      <ApiProvider>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </ApiProvider>
    </AuthProvider>
  );
}
