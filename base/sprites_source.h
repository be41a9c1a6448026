#pragma once
// --dataset sprites: dSprites' factors of variation (Matthey et al. 2017), drawn here with
// QPainter: binary images of a square, an ellipse or a heart at 6 scales, 40 orientations over
// 2π (0 and 2π both, as dSprites) and 32 x 32 positions, every combination once: 737,280 images,
// each with its five factor values. Not DeepMind's pixels: the shapes are drawn by this code.
// Kept one bit a pixel (377 MB at 64 px); the test set is a fixed seeded 10,000 of them.
#include "generated_dataset.h"

namespace vae {

inline constexpr int kSpriteShapes = 3;
inline constexpr int kSpriteScales = 6;
inline constexpr int kSpriteOrientations = 40;
inline constexpr int kSpritePositions = 32;
inline constexpr int kSpriteCount = kSpriteShapes * kSpriteScales * kSpriteOrientations * kSpritePositions * kSpritePositions;
inline constexpr int kSpriteTestCount = 10000;
inline constexpr int kSpriteMinimumSize = 32;

GeneratedSource spritesSource();

// The factor values of the sprite at `index` (dSprites' order: shape, scale, orientation,
// position x, position y, the last fastest): shape 0..2, scale 0.5..1, orientation 0..2π,
// positions 0..1.
struct SpriteFactors {
    int shape = 0;
    double scale = 1;
    double orientation = 0;
    double x = 0;
    double y = 0;
};
SpriteFactors spriteFactors(int index);

}  // namespace vae
