// Client routes under /dashboard/ (SPEC §10). The server answers every unknown /dashboard/*
// path with index.html, so each of these URLs can be loaded directly.
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { lazy, type ReactNode } from 'react';
import type { Permission } from './api/types';
import { EmptyState } from './components/States';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { ConfirmProvider } from './components/Confirm';
import { Layout } from './components/Layout';
import { ToastProvider } from './components/Toasts';
import LoginPage from './pages/auth/LoginPage';
import SetupPage from './pages/auth/SetupPage';
import NotFoundPage from './pages/NotFoundPage';

// Pages load on demand: the first paint only needs the frame and the current page.
const OverviewPage = lazy(() => import('./pages/overview/OverviewPage'));
const ModelsPage = lazy(() => import('./pages/models/ModelsPage'));
const ModelFormPage = lazy(() => import('./pages/models/ModelFormPage'));
const ProjectsPage = lazy(() => import('./pages/projects/ProjectsPage'));
const ProjectNewPage = lazy(() => import('./pages/projects/ProjectNewPage'));
const ProjectLayout = lazy(() => import('./pages/projects/ProjectLayout'));
const ProjectGeneralTab = lazy(() => import('./pages/projects/ProjectGeneralTab'));
const ProjectRoutingTab = lazy(() => import('./pages/projects/ProjectRoutingTab'));
const ProjectTokensTab = lazy(() => import('./pages/projects/ProjectTokensTab'));
const ProjectMembersTab = lazy(() => import('./pages/projects/ProjectMembersTab'));
const ProjectLogsTab = lazy(() => import('./pages/projects/ProjectLogsTab'));
const UsagePage = lazy(() => import('./pages/usage/UsagePage'));
const UsageDetailPage = lazy(() => import('./pages/usage/UsageDetailPage'));
const PlaygroundPage = lazy(() => import('./pages/playground/PlaygroundPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));
const UsersPage = lazy(() => import('./pages/settings/UsersPage'));
const RolesPage = lazy(() => import('./pages/settings/RolesPage'));
const ProfilePage = lazy(() => import('./pages/ProfilePage'));

function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loggedOut } = useAuth();
  const location = useLocation();
  if (!user) return <Navigate to="/login" replace state={loggedOut ? undefined : { from: location.pathname + location.search }} />;
  return <>{children}</>;
}

// Pages a user may not open show why instead of calling APIs that would refuse them.
function RequirePermission({ needs, children }: { needs: Permission; children: ReactNode }) {
  const { can } = useAuth();
  if (!can(needs)) return <EmptyState title="You do not have access to this page">It needs the permission <code>{needs}</code>; ask an administrator.</EmptyState>;
  return <>{children}</>;
}

function Home() {
  const { can } = useAuth();
  return <Navigate to={can('report:read') ? '/overview' : '/projects'} replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireAuth><Layout /></RequireAuth>}>
        <Route index element={<Home />} />
        <Route path="overview" element={<OverviewPage />} />
        <Route path="models" element={<RequirePermission needs="model:read"><ModelsPage /></RequirePermission>} />
        <Route path="models/new" element={<RequirePermission needs="model:write"><ModelFormPage /></RequirePermission>} />
        <Route path="models/:id" element={<RequirePermission needs="model:read"><ModelFormPage /></RequirePermission>} />
        <Route path="projects" element={<ProjectsPage />} />
        <Route path="projects/new" element={<ProjectNewPage />} />
        <Route path="projects/:id" element={<ProjectLayout />}>
          <Route index element={<Navigate to="general" replace />} />
          <Route path="general" element={<ProjectGeneralTab />} />
          <Route path="routing" element={<ProjectRoutingTab />} />
          <Route path="tokens" element={<ProjectTokensTab />} />
          <Route path="users" element={<ProjectMembersTab />} />
          <Route path="logs" element={<ProjectLogsTab />} />
        </Route>
        <Route path="usage" element={<RequirePermission needs="report:read"><UsagePage /></RequirePermission>} />
        <Route path="usage/:id" element={<RequirePermission needs="report:read"><UsageDetailPage /></RequirePermission>} />
        <Route path="test" element={<PlaygroundPage />} />
        <Route path="settings" element={<Navigate to="/settings/general" replace />} />
        <Route path="settings/users" element={<RequirePermission needs="user:read"><UsersPage /></RequirePermission>} />
        <Route path="settings/roles" element={<RequirePermission needs="user:read"><RolesPage /></RequirePermission>} />
        <Route path="settings/:tab" element={<SettingsPage />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export default function App() {
  return (
    <BrowserRouter basename="/dashboard">
      <ToastProvider>
        <ConfirmProvider>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </ConfirmProvider>
      </ToastProvider>
    </BrowserRouter>
  );
}
