// Common English nouns, lower case, no repeats: the vocabulary of word sorting
// (bbh) and the instruction-following tasks.
export const wordList = (
  'apple river stone cloud garden honey island jacket kettle lemon mirror needle orange pencil quiet rabbit ' +
  'saddle tunnel umbrella velvet window yellow zebra anchor basket candle dragon engine forest guitar hammer ' +
  'insect jungle kitten ladder magnet number oyster planet question rocket silver tomato unicorn violin walnut ' +
  'butter castle desert feather glove harbor ink jelly kingdom lantern meadow nest ocean puzzle quilt ribbon ' +
  'shadow thunder valley wagon yard bridge cotton dinner eagle fabric gravel helmet iron jewel knot lizard ' +
  'marble noodle onion parrot rain salt table urban vessel whale crayon donkey elbow falcon ginger hollow ' +
  'igloo jigsaw koala lobster mango napkin orbit pepper radish spoon tiger vase wolf bottle cactus dolphin ' +
  'acorn blanket cherry daisy empire fossil goblet hazel iris jasmine kernel lagoon maple nectar olive pillow ' +
  'quarry raven sapphire timber tulip vapor willow yogurt zipper almond beacon canyon domino ember fjord glacier ' +
  'harvest ivory juniper kayak lilac mosaic nickel orchid pebble quartz rascal saffron tundra utensil vortex ' +
  'wizard anvil bamboo cobalt dune eclipse fiddle gecko hornet indigo jester kiwi locket mitten nomad oasis ' +
  'panda quiver ridge scarf trumpet velcro wheat yacht badger comet drizzle fern goose hatchet'
).split(' ');
