#pragma once
// The precompiled header of the test binaries: the library's, plus GoogleTest and GoogleMock.
#include "common/precompiled.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
